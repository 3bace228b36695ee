"""`python -m dojo VERB`: see dojo/cli.py.

`run N --warm` goes straight to the warm runner's client (dojo/warm.py), which imports nothing
else: a grader step pays ~30 ms to start instead of ~80 ms.
"""
import sys

if sys.argv[1:2] == ["run"] and "--warm" in sys.argv[2:]:
    from dojo import warm

    if warm.available():  # elsewhere the CLI runs the kata itself, and says why
        sys.exit(warm.client_main(sys.argv[1:]))

from dojo.cli import main

sys.exit(main())
