"""`python -m dojo VERB`: see dojo/cli.py."""
import sys

from dojo.cli import main

sys.exit(main())
