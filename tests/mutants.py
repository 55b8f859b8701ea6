"""Mutations the suite once missed (issue 16): each is applied, its tests run, and it is reverted.
Run: .venv/bin/python tests/mutants.py  (prints CAUGHT or MISSED per mutation; every line must say CAUGHT)."""
import subprocess, sys, pathlib
M = [
 ("stale undo", "textmine/store.py", "if expected_version is not None and expected_version != read_version(con):", "if False:", "tests/test_correctness.py tests/test_curation.py"),
 ("kish ignored", "textmine/shares.py", "neff = effective_n(weights[base])", "neff = float(base.sum())", "tests/test_correctness.py tests/test_shares.py"),
 ("keyword weighting", "textmine/describe.py", "weight = tf * np.log(1 + avg / np.maximum(tf.sum(axis=0), 1))", "weight = tf * 1.0", "tests/test_correctness.py tests/test_themes.py"),
 ("split round robin", "textmine/themes.py", "return split_labels(snap.vectors, members, k)", "return {a: i % k for i, a in enumerate(members)}", "tests/test_correctness.py tests/test_themes.py"),
 ("view unmasked", "textmine/themes.py", 'shown = data.base.table["text"].map(lambda t: mask(str(t)))', 'shown = data.base.table["text"].map(str)', "tests/test_correctness.py"),
 ("empty id", "textmine/io.py", "    if empty:\n        raise ColumnError", "    if False:\n        raise ColumnError", "tests/test_correctness.py tests/test_io.py"),
 ("p format", "textmine/fmt.py", 'return "<0,001" if p < 0.001 else number(p, 3)', 'return f"{p:.3f}"', "tests/test_correctness.py"),
 ("merge keeps final", "textmine/curation.py", "    for t in ids:\n        _open(state, t)\n", "", "tests/test_correctness.py tests/test_curation.py"),
 ("ids reused", "textmine/curation.py", "max(next_id, max(themes, default=-1) + 1)", "max(themes, default=-1) + 1", "tests/test_correctness.py"),
 ("codebook by clusters", "textmine/codebook.py", "exact=version == SCHEMA_VERSION)", "exact=False)", "tests/test_correctness.py"),
 ("count primary only", "textmine/projectdata.py", '    has = pd.concat([answers[["respondent_id", "theme_id"]],\n                     answers[["respondent_id", "second_theme_id"]].rename(columns={"second_theme_id": "theme_id"})])', '    has = answers[["respondent_id", "theme_id"]]', "tests/test_correctness.py"),
 ("gradio in core", "textmine/fmt.py", "import math\n", "import math\nimport gradio\n", "tests/test_correctness.py"),
]
for name, path, old, new, tests in M:
    p = pathlib.Path(path); orig = p.read_text()
    assert old in orig, name
    p.write_text(orig.replace(old, new, 1))
    try:
        r = subprocess.run([".venv/bin/python", "-m", "pytest", "-q", "-x", "-m", "not slow", "-p", "no:cacheprovider", *tests.split()], capture_output=True, text=True)
        last = [l for l in r.stdout.splitlines() if "passed" in l or "failed" in l][-1:]
        print(f"{name:22s} {'CAUGHT' if r.returncode else 'MISSED'} {last}", flush=True)
    finally:
        p.write_text(orig)
