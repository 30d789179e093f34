"""`livewire eval`: extraction scored by the shared scorer, one table row per annotated blog."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from streams.cli import main
from streams.evaluate import BlogScore, render_table

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def test_eval_scores_the_seed_with_the_shared_scorer():
    gold = SHARED / "eval" / "kursk-liveblog.gold.json"
    result = CliRunner().invoke(main, ["eval", str(gold)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("| kursk-liveblog"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "9"
    assert float(cells[7]) == 1.0  # alerts


def test_render_table_marks_held_out_blogs():
    score = BlogScore(
        "quake",
        10,
        dict.fromkeys(("entities", "quantities", "claims", "categories", "duplicates", "alerts"), 0.5),
        {"actor": None, "place": 1.0, "source": 0.5},
    )
    table = render_table([score], held_out={"quake"})
    assert "| quake (held out) | 10 | 0.500 |" in table
    assert table.splitlines()[-1].endswith("| – | 1.00 | 0.50 |")


def test_pooled_rows_sum_counts_before_taking_f1() -> None:
    from streams.evaluate import MEASURES, BlogScore, pooled

    def blog(name: str, tp: int, fp: int, fn: int) -> BlogScore:
        return BlogScore(name, 1, dict.fromkeys(MEASURES, 0.0), {}, dict.fromkeys(MEASURES, (tp, fp, fn)))

    row = pooled([blog("a", 9, 1, 0), blog("b", 1, 0, 9)], "both")
    # micro: tp 10, fp 1, fn 9 -> P 10/11, R 10/19; not the mean of the two blogs' F1
    assert abs(row.f1["entities"] - 2 * (10 / 11) * (10 / 19) / (10 / 11 + 10 / 19)) < 1e-9
    assert row.posts == 2


def test_another_taggers_entities_are_scored_in_place_of_ours() -> None:
    from pathlib import Path

    from streams.evaluate import load_scorer, score_blog

    scorer = load_scorer(Path("../shared/eval/score.py"))
    gold = Path("../shared/eval/kursk-liveblog.gold.json")
    ours = score_blog(gold, scorer)
    blind = score_blog(gold, scorer, tagger=lambda text: [])
    assert ours.f1["entities"] > 0.9
    assert blind.f1["entities"] == 0.0
    assert blind.f1["claims"] == ours.f1["claims"]  # only the entities are swapped
