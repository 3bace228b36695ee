"""The catalog is the single source of truth, and every kata it lists is complete on disk."""
import ast

import pytest

from dojo import catalog, docs

KATAS = catalog.load()


def public_functions(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and not node.name.startswith("_")}


def test_catalog_numbers_run_in_order_and_every_kata_has_two_hints():
    assert [k.number for k in KATAS] == list(range(1, len(KATAS) + 1))
    assert all(len(k.hints) >= 2 for k in KATAS)


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_kata_has_stub_solution_tests_and_three_wrong_answers(kata):
    for path in (kata.kata_file, kata.solution_file, kata.test_file):
        assert path.exists(), f"{path} is missing"
    expected = set(kata.functions)
    assert expected <= public_functions(kata.kata_file), f"stub lacks {expected}"
    assert expected <= public_functions(kata.solution_file), f"solution lacks {expected}"
    stub_doc = ast.get_docstring(ast.parse(kata.kata_file.read_text()))
    assert stub_doc and len(stub_doc) > 300, "the stub's docstring is the lesson: write it"
    wrong = kata.wrong_answers()
    assert len(wrong) >= 3, f"{kata.id} needs at least three wrong answers in {kata.wrong_dir}"
    for path in wrong:
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc and doc.startswith("Wrong:"), f"{path.name}: docstring must name the mistake"
        assert expected <= public_functions(path), f"{path.name} must define {expected}"
    for path in kata.right_answers():
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc and doc.startswith("Right:"), f"{path.name}: docstring must say how it differs"
        assert expected <= public_functions(path), f"{path.name} must define {expected}"


def test_the_stub_ids_match_the_stubs():
    """dojo/stubs.json lets `reset` and `list` recognise a pristine stub; it must follow katas/."""
    from dojo import progress

    assert progress.pristine_ids() == progress.current_stub_ids(KATAS), (
        "a stub changed: run `python -m dojo stubs`")


@pytest.mark.parametrize("ref", ["3", "03", 3, "k03", "fine_tuning_learning_rate",
                                 "k03_fine_tuning_learning_rate", " 3 "])
def test_a_kata_is_found_by_number_padded_number_or_slug(ref):
    assert catalog.find(ref, KATAS).number == 3


def test_an_unknown_kata_lists_the_real_ones():
    with pytest.raises(catalog.UnknownKata) as error:
        catalog.find("99", KATAS)
    assert all(k.slug in str(error.value) for k in KATAS)


def test_the_readme_table_is_generated_from_the_catalog():
    text = docs.README.read_text()
    assert docs.with_table(text) == text, "README table is stale: run `python -m dojo readme`"
    for kata in KATAS:
        assert kata.title in text


def test_a_malformed_catalog_is_rejected(tmp_path):
    bad = tmp_path / "catalog.toml"
    bad.write_text('[[kata]]\nnumber = 1\nslug = "x"\ntitle = "t"\nlevel = 1\npoints = 1\n'
                   'time_limit = 1\nminutes = 1\nchallenge = 0\nfunctions = ["f"]\nhints = ["only one"]\n')
    with pytest.raises(catalog.CatalogError, match="two"):
        catalog.load(bad)


def test_no_hint_is_a_placeholder():
    for kata in KATAS:
        for hint in kata.hints:
            assert not hint.upper().startswith("TODO"), f"kata {kata.number} has a placeholder hint"
