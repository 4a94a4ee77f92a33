"""Concealment and evidence pictures: content-addressed files with safe derivatives."""
