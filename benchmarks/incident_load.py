"""Do field reports survive load? Now part of benchmarks/load_faults.py, which adds page
readers, background jobs, a killed job worker and a PostgreSQL restart.

    .venv/bin/python benchmarks/incident_load.py [load_faults.py options]

runs the former figure: 50 reporters filing reports as fast as they can for 60 s against
gunicorn and PostgreSQL, no page readers, no jobs, no faults; every acknowledged report must
be stored exactly once. Options given are passed on (e.g. --seconds 120).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_faults import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(
        main(
            [
                "--reporters",
                "50",
                "--analysts",
                "0",
                "--seconds",
                "60",
                "--phases",
                "steady",
                "--job-every",
                "0",
                "--think",
                "0,0.1",
                *sys.argv[1:],
            ]
        )
    )
