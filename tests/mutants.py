"""Mutations the suite once missed (issues 16 and 23): each is applied, its tests run, and it is reverted.
Run from the repo root: .venv/bin/python tests/mutants.py [NAME ...]  (prints CAUGHT or MISSED per mutation;
every line must say CAUGHT). The tests run with the Python that runs this file, on the checkout this file is
in (PYTHONPATH), so a worktree can run it with another checkout's virtualenv; NAME: only the mutations whose
name contains it."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
M = [
 ("stale undo", "textmine/project/store.py", "if expected_version is not None and expected_version != read_version(con):", "if False:", "tests/test_correctness.py tests/test_curation.py"),
 ("kish ignored", "textmine/survey/shares.py", "neff = effective_n(weights[base])", "neff = float(base.sum())", "tests/test_correctness.py tests/test_shares.py"),
 ("keyword weighting", "textmine/discovery/keywords.py", "weight = tf * idf", "weight = tf * 1.0", "tests/test_correctness.py tests/test_themes.py"),
 ("split round robin", "textmine/project/themes.py", "return split_labels(snap.vectors, members, k)", "return {a: i % k for i, a in enumerate(members)}", "tests/test_correctness.py tests/test_themes.py"),
 ("view unmasked", "textmine/project/themes.py", 'shown = data.base.table["text"].map(lambda t: mask(str(t)))', 'shown = data.base.table["text"].map(str)', "tests/test_correctness.py"),
 ("empty id", "textmine/survey/reading.py", "    if empty:\n        raise ColumnError", "    if False:\n        raise ColumnError", "tests/test_correctness.py tests/test_io.py"),
 ("p format", "textmine/fmt.py", 'return "<0,001" if p < 0.001 else number(p, 3)', 'return f"{p:.3f}"', "tests/test_correctness.py"),
 ("merge keeps final", "textmine/project/curation.py", "    for t in ids:\n        _open(state, t)\n", "", "tests/test_correctness.py tests/test_curation.py"),
 ("ids reused", "textmine/project/curation.py", "max(next_id, max(themes, default=-1) + 1)", "max(themes, default=-1) + 1", "tests/test_correctness.py"),
 ("codebook by clusters", "textmine/project/codebook.py", "                   exact=exact)", "                   exact=False)", "tests/test_correctness.py"),
 ("count primary only", "textmine/project/data.py", '    has = pd.concat([answers[["respondent_id", "theme_id"]],\n                     answers[["respondent_id", "second_theme_id"]].rename(columns={"second_theme_id": "theme_id"})])', '    has = answers[["respondent_id", "theme_id"]]', "tests/test_correctness.py"),
 ("gradio in core", "textmine/fmt.py", "import math\n", "import math\nimport gradio\n", "tests/test_correctness.py"),
 # issue 23
 ("keyword idf ones", "textmine/discovery/keywords.py", "return np.log(1 + avg / np.maximum(total, 1))", "return np.ones(len(total))", "tests/test_workbench.py"),
 ("dotted date cpr", "textmine/text/privacy.py", 'if match["sep"] and match["gap"] and match["gap"].isspace():', "if False:", "tests/test_privacy.py"),
 ("codebook two themes", "textmine/project/codebook.py", "if codebook.exact and r in seen and seen[r] != j:", "if False:", "tests/test_export.py"),
 ("estimate uncalibrated", "textmine/review/quality.py", "q = calibrated(model.proba, model.temperature)", "q = model.proba", "tests/test_review.py"),
 ("interval not shrinking", "textmine/review/quality.py", "wrong_open / math.sqrt(1 + done / 10)", "wrong_open", "tests/test_review.py"),
 ("check unplaced right", "textmine/review/quality.py", "len(state.corrected), unplaced)", "len(state.corrected), 0)", "tests/test_review.py"),
 ("novelty by chance", "textmine/waves/placing.py", "return (share - expected) / max(1 - expected, 1e-9)", "return share", "tests/test_waves.py"),
 ("points as percent", "textmine/report/writers.py", 'return DECIMAL_FORMAT if "procentpoint" in column else PERCENT_FORMAT', "return PERCENT_FORMAT", "tests/test_report.py tests/test_waves.py"),
 ("points zero signed", "textmine/fmt.py", 'shown != "–" and value > 0 else', 'shown != "–" and value >= 0 else', "tests/test_report.py"),
 ("p format threshold", "textmine/fmt.py", """P_VALUE_FORMAT = '[<0.001]""", """P_VALUE_FORMAT = '[<0.01]""", "tests/test_report.py"),
 ("question words", "textmine/survey/setup.py", " and words.mean() >= 3", "", "tests/test_survey_setup.py"),
 ("question distinct", "textmine/survey/setup.py", "return values.nunique() >= 0.5 * len(values) and ", "return ", "tests/test_survey_setup.py"),
 ("id by name", "textmine/survey/setup.py", 'named = [c for c in candidates if re.search(r"(^|_)(id|nr|løbenr|respondent)", str(c), re.I)]', "named = []", "tests/test_survey_setup.py"),
 ("9 inside 0-10", "textmine/survey/setup.py", " and c > max(codes - {c}, default=0) + 1}", "}", "tests/test_survey_setup.py"),
 ("two weights", "textmine/survey/setup.py", '    _check_one(changed, WEIGHT, "vægtkolonne")\n', "", "tests/test_survey_setup.py"),
 ("export ignores privacy", "textmine/report/tables.py", "masker or (masker_for(config) if config is not None else None)", "masker", "tests/test_battery.py"),
 ("xlsx formula", "textmine/report/writers.py", '        cell.data_type = "s"', "        pass", "tests/test_battery.py"),
 ("restore bad index", "textmine/project/curation.py", "any(j not in indices for j in second.values())", "False", "tests/test_battery.py tests/test_curation.py"),
]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
for name, path, old, new, tests in M:
    if sys.argv[1:] and not any(a in name for a in sys.argv[1:]):
        continue
    p = ROOT / path; orig = p.read_text()
    assert old in orig, name
    p.write_text(orig.replace(old, new, 1))
    try:
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-m", "not slow", "-p", "no:cacheprovider", *tests.split()],
                           capture_output=True, text=True, cwd=ROOT, env=ENV)
        last = [l for l in r.stdout.splitlines() if "passed" in l or "failed" in l][-1:]
        by = [l.split()[1].split("::")[-1] for l in r.stdout.splitlines() if l.startswith(("FAILED", "ERROR"))][:1]
        print(f"{name:24s} {'CAUGHT' if r.returncode else 'MISSED'} {last} {' '.join(by)}", flush=True)
    finally:
        p.write_text(orig)
