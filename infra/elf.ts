/**
 * Reads the target machine of an ELF binary (e_machine at offset 18, little-endian on both Lambda
 * architectures), to prove the sharp binary shipped is the one the function's architecture runs.
 */
import { openSync, readSync, closeSync } from "node:fs";

export type ElfMachine = "aarch64" | "x86-64";

const MACHINES: Record<number, ElfMachine> = { 0xb7: "aarch64", 0x3e: "x86-64" };

/** The machine an ELF header names, or an error saying why the bytes are not a known ELF binary. */
export function elfMachine(header: Uint8Array): ElfMachine {
  if (header.length < 20 || header[0] !== 0x7f || header[1] !== 0x45 || header[2] !== 0x4c || header[3] !== 0x46) {
    throw new Error("not an ELF file");
  }
  if (header[5] !== 1) throw new Error("not a little-endian ELF file");
  const machine = (header[18] ?? 0) | ((header[19] ?? 0) << 8);
  const name = MACHINES[machine];
  if (name === undefined) throw new Error(`unexpected ELF machine 0x${machine.toString(16)}`);
  return name;
}

export function elfMachineOfFile(file: string): ElfMachine {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(20);
    readSync(fd, header, 0, 20, 0);
    return elfMachine(header);
  } finally {
    closeSync(fd);
  }
}
