"""Content that lives in files in the repository, parsed once per process."""
