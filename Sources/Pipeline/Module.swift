// Pipeline stage: see README.md for what it does.
import AssayCore
