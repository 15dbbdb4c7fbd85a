"""Run the command-line interface: ``python -m mapper``."""
from mapper.cli import main

main()
