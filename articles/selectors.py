"""Reads for the staff pages, shaped so each page costs a fixed number of queries."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Max, Sum
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section

TREE_CACHE_SECONDS = 60 * 60


def is_possible_tag_slug(slug):
    """Whether ``slug`` could be a tag's slug at all: not longer than the
    column, no control characters (PostgreSQL refuses NUL in any string)."""
    return len(slug) <= Tag._meta.get_field("slug").max_length and slug.isprintable()


@dataclass
class TreeNode:
    id: int
    title: str
    slug: str
    description: str
    level: int
    parent_id: int | None
    children: list["TreeNode"] = field(default_factory=list)
    target_audience_id: int | None = None  # «Для вас»: who the section is for

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


@dataclass
class SectionTree:
    roots: list[TreeNode]
    by_id: dict[int, TreeNode]
    stamp: str = ""

    def ancestors(self, section_id, *, include_self=True):
        """The path from the root down to ``section_id``, from the cached tree."""
        path = []
        node = self.by_id.get(section_id)
        while node is not None:
            path.append(node)
            node = self.by_id.get(node.parent_id)
        path.reverse()
        return path if include_self else path[:-1]

    def descendant_ids(self, section_id):
        """``section_id`` and every live section below it."""
        ids = []
        stack = [self.by_id[section_id]] if section_id in self.by_id else []
        while stack:
            node = stack.pop()
            ids.append(node.id)
            stack.extend(node.children)
        return ids


def _tree_stamp():
    # One cheap aggregate that changes whenever the tree does: an edit or a
    # soft delete moves modified_at, an insert or purge changes the count, and
    # a drag-and-drop move (which updates lft/rght without save()) changes the
    # position checksum. Deriving the key from the database, not from a flag
    # set on change, keeps every worker right even with a per-process cache.
    row = Section.all_objects.aggregate(
        changed=Max("modified_at"), count=Count("id"), shape=Sum(F("lft") * F("id") + F("level"))
    )
    changed = row["changed"].timestamp() if row["changed"] else 0
    return f"{changed}:{row['count']}:{row['shape']}"


def section_tree(request=None):
    """The live section tree (one query when cached, two when not).

    With ``request`` the tree is kept on it, so a page that needs the tree in
    the view and in the sidebar checks the database once.
    """
    tree = getattr(request, "_kb_section_tree", None)
    if tree is not None:
        return tree
    stamp = _tree_stamp()
    key = f"kb:section-tree:{stamp}"
    tree = cache.get(key)
    if tree is None:
        tree = _build_tree()
        tree.stamp = stamp
        cache.set(key, tree, TREE_CACHE_SECONDS)
    if request is not None:
        request._kb_section_tree = tree
    return tree


def _build_tree():
    rows = Section.objects.values(
        "id", "title", "slug", "description", "level", "parent_id", "target_audience_id"
    )
    by_id, roots = {}, []
    for row in rows:  # ordered by tree_id, lft: parents come before children
        node = TreeNode(**row)
        parent = by_id.get(node.parent_id)
        if node.parent_id is None:
            roots.append(node)
        elif parent is None:
            continue  # the parent is in the trash, so is this branch for staff
        else:
            parent.children.append(node)
        by_id[node.id] = node
    return SectionTree(roots=roots, by_id=by_id)


def with_sections(articles, tree):
    """Give each article card its section from the cached tree (no query).

    Articles whose section is not in the live tree (it is in the trash) are
    left out: they are not reachable either.
    """
    cards = []
    for article in articles:
        node = tree.by_id.get(article.section_id)
        if node is not None:
            article.section = Section(id=node.id, title=node.title, slug=node.slug)
            cards.append(article)
    return cards


def subtree_counts(tree, section_ids):
    """Published articles in each given section and all its subsections."""
    if not section_ids:
        return {}
    subtrees = {section_id: tree.descendant_ids(section_id) for section_id in section_ids}
    wanted = {sid for ids in subtrees.values() for sid in ids}
    rows = (
        Article.objects.published()
        .filter(section_id__in=wanted)
        .values("section_id")
        .annotate(n=Count("id"))
    )
    direct = {row["section_id"]: row["n"] for row in rows}
    return {
        section_id: sum(direct.get(sid, 0) for sid in ids) for section_id, ids in subtrees.items()
    }
