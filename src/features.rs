//! Text → hashed sparse features (word and character n-grams). Owned by the classifier work.
