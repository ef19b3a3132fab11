"""Built-in script templates and the one function that fills them in.

A template is narration text with `{{name}}` placeholders (`{{ name }}` works too); `{{topic}}` is
always the request's topic. An optional first line `Title: ...` gives the script its title and is not
narrated. Paragraphs are separated by blank lines: the first is the hook, the last the call to action.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scriptsensei_cli.contract.scripts import Template

from .base import WriterError

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def placeholders(text: str) -> list[str]:
    """Placeholder names in order of first appearance, `topic` included."""
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def render_template(template: Template, topic: str, variables: Mapping[str, str]) -> str:
    """The template's text with every placeholder filled; a blank value counts as missing."""
    values = {name: value.strip() for name, value in variables.items() if value and value.strip()}
    values["topic"] = " ".join(topic.split())
    missing = [name for name in placeholders(template.content) if name not in values]
    if missing:
        raise WriterError(
            f"template '{template.id}' needs variables: {', '.join(missing)}", field="variables"
        )
    # One pass: a value that itself looks like a placeholder is left as written.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template.content)


def _template(template_id: str, name: str, description: str, category: str, content: str) -> Template:
    content = content.strip() + "\n"
    variables = [p for p in placeholders(content) if p != "topic"]
    return Template(
        id=template_id,
        name=name,
        description=description,
        category=category,
        content=content,
        variables=variables,
        builtin=True,
    )


BUILTIN_TEMPLATES: tuple[Template, ...] = (
    _template(
        "tpl_product_launch",
        "Product launch",
        "Announce a product: the problem it removes, why it is different, the price, where to get it.",
        "marketing",
        """
Title: Introducing {{product_name}}

Still doing {{topic}} the hard way? Meet {{product_name}}.

{{product_name}} takes the busywork out of {{topic}}, so you can spend your time on what actually matters.

It is built for real life: quick to set up, simple to use, and ready the moment you need it.

And the best part? You can get it today for just {{price}}.

Tap the link to try {{product_name}}, and follow for more ideas on {{topic}}.
""",
    ),
    _template(
        "tpl_how_to",
        "How-to in three steps",
        "A short tutorial: a promise in the hook, three concrete steps, a reason to save it.",
        "tutorial",
        """
Title: How to get started with {{topic}}

Want to get started with {{topic}} without wasting weeks? Here's how, in three steps.

Step one: {{step_1}}. Don't skip it; everything else builds on this.

Step two: {{step_2}}. Keep it simple the first time around.

Step three: {{step_3}}. This is where you start to see real results.

That's it. Save this so you have the steps when you need them, and follow for more on {{topic}}.
""",
    ),
    _template(
        "tpl_three_things",
        "3 things nobody tells you",
        "A listicle: three surprising points about the topic, the best one last.",
        "listicle",
        """
Title: 3 things about {{topic}} nobody tells you

Here are 3 things about {{topic}} that nobody tells you.

Number one: {{thing_1}}.

Number two: {{thing_2}}.

Number three: {{thing_3}}. This one surprises almost everyone.

Which one did you already know? Tell me in the comments, and follow for more on {{topic}}.
""",
    ),
    _template(
        "tpl_myth_vs_fact",
        "Myth vs fact",
        "Take one popular belief about the topic apart: the myth, why it sticks, the fact.",
        "educational",
        """
Title: {{topic}}: myth vs fact

Think you know the truth about {{topic}}? Let's test that.

The myth: {{myth}}.

It sounds believable, which is exactly why so many people repeat it.

The fact: {{fact}}.

Now you know what most people miss about {{topic}}. Share this with someone who still believes the myth.
""",
    ),
    _template(
        "tpl_before_after",
        "Before and after story",
        "A transformation story: where things were, the one change, where they are now.",
        "story",
        """
Title: {{topic}}: before and after

A year ago, {{topic}} looked completely different for me.

Before: {{before}}.

Then one thing changed: {{change}}.

After: {{after}}.

If I can do it, so can you. Tell me in the comments where you are right now, and follow for part two.
""",
    ),
    _template(
        "tpl_quick_tips",
        "Three quick tips",
        "Three practical tips that fit any topic; needs nothing but the topic.",
        "tips",
        """
Title: 3 quick tips for {{topic}}

Short on time? Here are three quick tips for {{topic}} you can use today.

First, start smaller than you think. One small step you actually take beats a perfect plan you never start.

Second, be consistent. A few focused minutes every day do more than one big push a month.

Third, keep track. Write down what you tried and what happened, so you can see what really works.

Which tip will you try first? Let me know in the comments, and follow for more on {{topic}}.
""",
    ),
)


def get_builtin_template(template_id: str) -> Template | None:
    """The built-in template with this id, if there is one."""
    return next((t for t in BUILTIN_TEMPLATES if t.id == template_id), None)
