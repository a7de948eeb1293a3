"""Lesson: the seed section (or a lecturer's own lesson file) as a guided walk through the live pages,
one step per view, driven by buttons or a presenter's clicker."""

from ui.lesson import chosen_lesson, current_step, show_step
from ui.page import setup_page
from ui.registry import page_info

settings = setup_page(page_info("pages/10_Lesson.py"))
lesson, name = chosen_lesson()
number = current_step(lesson, name or lesson.title)
show_step(lesson.steps[number - 1], number, settings, share=name)
