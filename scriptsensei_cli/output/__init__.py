"""Everything the user sees: data on stdout, messages and progress on stderr, exit codes."""
