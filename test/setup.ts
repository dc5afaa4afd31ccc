// Root setup for every mocha run: handler logs are JSON lines meant for CloudWatch; tests keep them
// quiet unless LOG_LEVEL is set (LOG_LEVEL=info npm test shows them).
process.env["LOG_LEVEL"] ??= "silent";
