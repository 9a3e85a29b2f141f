#!/usr/bin/env python3
"""Command line for the peer-support directory generator: build, check and serve."""
import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
