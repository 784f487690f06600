"""Which files a wheel carries (the project's metadata is in pyproject.toml).

The templates and questionnaires live at the top of a checkout, where designers and
translators find them; a wheel carries them inside the survey package, as
``survey/_templates`` and ``survey/_questionnaires``, and ``survey/paths.py`` finds either.
A package-dir mapping cannot be combined with pyproject's automatic package discovery,
hence this file.
"""

from setuptools import find_packages, setup

DATA = ["*.yaml", "*.json", "*.txt", "*.mo", "*.po", "*.ini", "*.mako", "*.csv"]

setup(
    packages=[
        *find_packages(include=["survey", "survey.*", "analysis", "analysis.*"]),
        "survey._templates",
        "survey._questionnaires",
    ],
    package_dir={
        "survey._templates": "templates",
        "survey._questionnaires": "questionnaires",
    },
    package_data={
        "": DATA,
        # Folders without an __init__.py are not packages: their files are named here.
        "survey": [
            "static/*",
            "static/fonts/*",
            "migrations/*",
            "migrations/versions/*.py",
            "translations/*.pot",
            "translations/*/LC_MESSAGES/*",
            "complaints/procedures/*",
        ],
        "survey._templates": ["**/*.html", "**/*.svg"],
        "survey._questionnaires": [
            "*.yaml",
            "*.cfg",
            "**/*.json",
            "**/*.po",
            "**/*.mo",
            "**/*.pot",
        ],
    },
)
