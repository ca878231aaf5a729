"""Data files shipped with stdcompare: glossary, comparator lexicon, units."""
