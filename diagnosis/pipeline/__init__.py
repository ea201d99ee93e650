"""The officials' pipeline: projects, targets and the figures, lists and exports built on them."""
