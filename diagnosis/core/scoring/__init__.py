"""Scoring models (SME 2024, CMMM, radar): each is data in questionnaires/models/, loaded and applied here."""
