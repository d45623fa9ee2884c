// Views: everything `assay` shows or exports is a view of the annotation record (assay.annotations/1).
//   AnnotationRecord     the record decoded from annotations.jsonl (RecordReader streams the file)
//   FindingsListing      `path:line:column: severity: message [kind]` lines and a summary (assay check)
//   HTMLReport           one self-contained HTML page: overview, highlighted texts, findings, references
//   WebAnnotationExport  W3C Web Annotation Data Model (JSON-LD), one AnnotationCollection per document
//   BratExport           brat standoff (.txt/.ann + annotation.conf), loadable in brat and INCEpTION
//   SQLiteStore          SQLite tables with indexes and an FTS5 index, updated in place by document id
//   FindingsCSV          findings as RFC 4180 CSV for spreadsheets
// Files are written under a temporary name and renamed into place (ViewFile, ViewFolder).
