"""Periodic reports and official tables (Biểu 06/VPCP/KSTT)."""
