"""The Decision 766 service index: indicators, scores, warnings and the published figures."""
