"""What the test modules share: builders of input files and datasets, the batch's
reproducible date and output paths, and the types of the browser fixtures. The fixtures
themselves are in tests/conftest.py; a test module imports from here, never from another
test module."""
