"""Five lists of 20,000 entries each, linked and estimated: prints the time per step and the result.

    .venv/bin/python bench/estimation.py [--entries 20000] [--lists 5] [--seed 1]

Target (issue 23): under 60 s on one core for five lists of 20,000. The population is simulated
(patterns/estimation/simulate.py) so that the true size is known and printed beside the estimate.
"""

import argparse
import os
import random
import sys
import time
import resource
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--lists", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from patterns.estimation import simulate
    from patterns.estimation.linkage import link
    from patterns.estimation.population import histories, stratum_result

    rng = random.Random(args.seed)
    probability = 0.3
    size = int(args.entries / probability)
    men = simulate.population(size, rng)
    lists = simulate.capture(men, [probability] * args.lists, rng)
    sources = simulate.sources(men, lists, rng)
    print(f"population {size}, lists {[len(s.entries) for s in sources]}, on some list {len(set().union(*map(set, lists)))}")
    cpu, wall = time.process_time(), time.perf_counter()
    clusters = link(sources)
    link_cpu = time.process_time() - cpu
    counts = histories(sources, clusters, by=None)["all"]
    result = stratum_result("all", counts, [s.label for s in sources])
    total_cpu, total_wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"linked: {len(clusters)} people in {link_cpu:.1f} s CPU")
    print(f"estimate {result['estimate']} (95% {result['ci95'][0]}–{result['ci95'][1]}), true {size}; model: {result['model']}")
    print(f"total {total_cpu:.1f} s CPU, {total_wall:.1f} s wall (target < 60 s), peak memory (RSS) {peak:.0f} MiB")


if __name__ == "__main__":
    main()
