"""The loop closed in public: actions from themes, "you said, we did", loop measures."""
