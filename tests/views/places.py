"""Where each widget sits in a page run: the position the browser keeps it by across reruns."""

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Widget


def widget_places(at: AppTest) -> dict[str, tuple[int, ...]]:
    """Each keyed widget's path of positions (its delta path) in the last run of `at`.

    A widget whose path changes between two runs is drawn anew by the browser, which empties whatever was being
    typed into it while that rerun arrived; so a path must not change because something else came or went.
    """
    found: dict[str, tuple[int, ...]] = {}

    def walk(node, path: tuple[int, ...]) -> None:
        if isinstance(node, Widget) and node.key:
            found[node.key] = path
        if isinstance(node, Block):
            for index, child in node.children.items():
                walk(child, (*path, index))

    walk(at._tree, ())
    return found


def moved(before: dict[str, tuple[int, ...]], after: dict[str, tuple[int, ...]]) -> dict[str, tuple]:
    """The widgets on both runs whose place changed, with their two places."""
    return {key: (place, after[key]) for key, place in before.items() if key in after and after[key] != place}
