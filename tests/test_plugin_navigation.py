"""Every plugin's pages sit in the one organisation navigation: each installed plugin answers
``tpl_org_navigation`` with ``(label, url)`` pairs whose URLs are pages of this app."""

from werkzeug.exceptions import NotFound


def test_every_installed_plugin_answers_the_navigation_hook(app, make_org):
    org = make_org()
    registry = app.extensions["involve"].plugins
    adapter = app.url_map.bind("localhost")
    assert {"reward_points", "street_reps", "customer_voice", "key_targets", "partner_statements"} <= set(
        registry.names()
    )
    with app.test_request_context(f"/o/{org.slug}/"):
        for name in registry.names():
            answers = registry.call_plugin(name, "tpl_org_navigation", organisation=org, user=None)
            links = [link for answer in answers for link in answer or []]
            assert links, f"{name} adds no link to the organisation navigation"
            for label, href in links:
                assert label.strip(), f"{name}: a navigation link needs a label"
                try:
                    adapter.match(href, method="GET")
                except NotFound:
                    raise AssertionError(f"{name}: {href} is not a page") from None
