MEUC!!==
