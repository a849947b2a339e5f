"""The working calendar (lịch làm việc) and the deadline clock (tính hạn xử lý)."""
