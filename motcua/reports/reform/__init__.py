"""The periodic reform report (báo cáo CCHC định kỳ, reports.md): templates, figures,
registers, consistency checks and the lifecycle services."""
