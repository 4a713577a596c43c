"""Pattern detectors, one module per family, each exporting ``PATTERNS``."""
