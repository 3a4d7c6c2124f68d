"""Build tooling for the book (not part of lecnotes): see tools/execute.py."""
