"""What a bundle carries, mapped to and from ncen's records.

The record-set schemas and their validation (`recordschema`), the export of selected seizures
into record sets (`export`), the import of received record sets as foreign records (`foreign`)
and the links an officer draws between national and foreign records (`links`).
"""
