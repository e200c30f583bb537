// Package tabular turns an uploaded file into a stream of records — a
// header and rows of strings — for Folio's contact import. It reads CSV,
// XLSX and vCard files in constant memory whatever their size, and reports
// bad input in messages written for the person who uploaded the file.
//
// Open recognises the format from the content; the file name's extension
// is a hint only. Images, PDFs, archives, Excel 97–2003 (.xls) workbooks
// and other files that are not tables are refused with a message naming
// what they are ("This file is a PNG image, not a CSV, XLSX or vCard
// file."). A Source then yields one Record per non-empty row. Problems with
// the whole file are *Error values from Open (or, for a workbook whose
// sheet turns out to be damaged part-way, from Next); problems with one
// row are in Record.Err, and reading goes on with the next row. Rows whose
// values are all blank are skipped silently. An accepted row has exactly
// one value per header column; a rejected one holds as much of the
// original as could be read, for a rejected-rows file.
//
// # CSV
//
// Values are separated by a comma, semicolon, tab or vertical bar: the one
// whose count outside quotes is the same on most of the first 20 lines
// (Excel's "sep=;" first line is honoured too). Quoted values may hold
// delimiters, line breaks and doubled quotes; spaces around quotes are
// tolerated; CRLF, LF and CR line breaks are all accepted. The text may be
// UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark,
// or Windows-1252, which is chosen when the first 64 KB are not valid
// UTF-8. Record.Line is the line where a record starts. A row is rejected
// when it holds more non-blank values than the header has columns, fewer
// values than that, a value longer than Options.MaxCell characters, a NUL
// byte, text that is not valid UTF-8, or a stray quote. A stray quote can
// swallow the lines after it: when that happens, the row is rejected with
// the line where the quote opened, and reading goes back to the line after
// it, so the rest of the file still imports (a record that has swallowed
// more than 16 MB cannot be gone back over, and its message says so).
//
// # XLSX
//
// The workbook is read with archive/zip and a small streaming XML scanner
// of this package (encoding/xml, at about 25 MB/s, is too slow for
// million-row sheets).
// Open lists the worksheets (Meta.Sheets) and reads the first visible one,
// or Options.Sheet. Shared strings (rich text concatenated, phonetic runs
// left out) are held in one byte slice; the sheet itself is streamed. The
// header is the first non-empty row; Record.Line is the row number. Cell
// values are converted as Excel shows them where that matters for
// contacts: text as it is, booleans as TRUE and FALSE, error values as "",
// dates (cells whose style is a date or time format, and ISO dates) as
// "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or "HH:MM:SS" in the 1900 or 1904
// date system, and numbers without exponent or float noise
// ("15551234567", never "1.5551234567E+10"). Formulas are never evaluated:
// their cached value is used, and a formula without one reads as "". A
// number has no leading zeros to keep: a ZIP code or phone number stored
// as a number in Excel ("2134" for 02134) comes out as the number; only
// cells stored as text keep them.
//
// Workbooks are untrusted input. Each part read is checked against a limit
// on its declared unpacked size (2 GB for the sheet, 512 MB for the shared
// strings and the styles, 64 MB for anything else) and, above 16 MB, a
// compression ratio of 200:1; the bytes actually unpacked are then held to
// the declared size, since headers can lie. Any XML document type
// declaration is refused, which rules out entity expansion attacks such
// as "billion laughs". Macro-enabled workbooks (.xlsm, or with a VBA
// project) are refused, as are ZIP archives that are not workbooks. The
// shared strings are the one thing held in memory, bounded by their 512 MB
// limit.
//
// # vCard
//
// vCard 2.1, 3.0 and 4.0 files may hold any number of cards. Folded lines,
// escapes, grouped properties (item1.EMAIL), TYPE parameters in every
// style, PREF and TYPE=pref, and 2.1's quoted-printable values and
// character sets are understood; PHOTO, LOGO, SOUND and KEY are skipped
// without being held in memory. The header is fixed (see VCardHeader) and
// each card becomes one record mapped to it: a person or, for KIND:org, a
// card with an organisation but no person's name, or Apple's
// X-ABShowAs:COMPANY, a company. Record.Line is the line of the card's
// BEGIN:VCARD. A card without END:VCARD, with a line that is not a
// property, or that is a contact group is rejected, and reading goes on
// with the next card.
//
// # Limits
//
// A header may have at most Options.MaxColumns columns (default 1,000) and
// a cell at most Options.MaxCell characters (default 32,767, Excel's own
// limit). No more than four times MaxCell bytes of a value, and MaxColumns
// values of a row, are kept in memory; the rest is counted so the message
// can say how long or wide it was. Memory therefore depends on these
// limits, never on the size of the file: a few megabytes for ordinary
// files, and at worst MaxColumns × 4 × MaxCell bytes for one pathological
// row (a vCard card keeps at most 4 MB of text).
//
// Headers are trimmed of surrounding spaces and of trailing blank names;
// blank and duplicate names elsewhere are returned as they are, for the
// caller to handle. Data values are returned as they are.
package tabular
