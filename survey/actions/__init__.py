"""The action board: what will change, who owns it, by when; "you said, we did" builds on it."""
