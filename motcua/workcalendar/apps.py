from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "motcua.workcalendar"
    label = "workcalendar"
    verbose_name = "Lịch làm việc"
