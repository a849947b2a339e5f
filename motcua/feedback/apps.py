"""Feedback (phản ánh, kiến nghị): one queue for every channel."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """The feedback app."""

    name = "motcua.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"
