// Placeholder CLI entry; the engine work (issue 3) replaces it with `inspect`, the panel work adds `compare`.
console.error('xavier-lens: no commands are available in this build yet.');
process.exitCode = 2;
