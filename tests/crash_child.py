"""Child process of the SIGKILL test: applies a seeded sequence of curation actions to a project
and prints the version after each committed action ("acknowledged")."""

import random
import sys

from textmine.project import curation as cur
from textmine.project.store import Project


def scripted_action(state, rng: random.Random):
    themes, answers = sorted(state.themes), sorted(state.primary)
    if len(themes) < 2:
        return "move", {"answers": rng.sample(answers, 2), "theme_id": themes[0] if themes else None}
    kind = rng.choice(["rename", "move", "merge", "split", "set_second", "mark_final"])
    tid = rng.choice(themes)
    if kind == "rename":
        return kind, {"theme_id": tid, "name": f"Tema {rng.randint(0, 999)} æøå"}
    if kind == "move":
        return kind, {"answers": rng.sample(answers, 3), "theme_id": rng.choice([None, *themes])}
    if kind == "merge" and len(themes) > 3:
        return kind, {"theme_ids": rng.sample(themes, 2)}
    if kind == "split" and len(state.members(tid)) >= 2:
        return kind, {"theme_id": tid, "labels": {a: i % 2 for i, a in enumerate(state.members(tid))}}
    if kind == "set_second":
        answer = rng.choice(answers)
        options = [t for t in themes if t != state.primary[answer]]
        return kind, {"answer": answer, "theme_id": rng.choice(options)}
    return "mark_final", {"theme_id": tid, "final": rng.random() < 0.5}


def next_state(state, rng: random.Random):
    """The next scripted action that the state allows (a final theme refuses changes) and its result."""
    while True:
        kind, params = scripted_action(state, rng)
        try:
            return kind, params, cur.ACTIONS[kind](state, **params)
        except cur.CurationError:
            continue


def replay(state, seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        _, _, state = next_state(state, rng)
    return state


if __name__ == "__main__":
    path, seed, skip = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    project = Project(path)
    rng = random.Random(seed)
    answers = project.answers()
    state = cur.from_clusters(dict(zip(answers["answer_id"], answers["cluster"])))   # the start state
    for i in range(10_000):
        kind, params, state = next_state(state, rng)
        if i >= skip:                        # the first `skip` actions were applied by earlier children
            print(project.apply(kind, **params), flush=True)
