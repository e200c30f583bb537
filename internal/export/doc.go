// Package export writes contact exports as CSV, XLSX and vCard, streaming
// them to an io.Writer (an HTTP response or a file) in constant memory.
//
// It holds the format writers only and knows nothing about the database:
// callers hand it rows of strings for the tabular formats and Card values for
// vCard.
//
//   - CSV ([NewCSV]): RFC 4180, comma separated, CRLF line ends, fields quoted
//     only when needed, UTF-8 with a byte-order mark by default so that Excel
//     reads accented letters correctly.
//   - XLSX ([NewXLSX]): one Office Open XML worksheet written with excelize's
//     StreamWriter; every cell is a string cell, so phone numbers, postal codes
//     with leading zeros and identifiers are never turned into numbers or
//     dates. The header row is bold, frozen and carries an autofilter.
//   - vCard ([NewVCard]): vCard 4.0 (RFC 6350) with escaped values and lines
//     folded at 75 octets.
//
// # Formula injection
//
// Spreadsheet programs run a cell that starts with '=', '+', '-' or '@' as a
// formula, and some also look past a leading tab or carriage return (OWASP
// "CSV injection"). Every CSV and XLSX cell, headers included, therefore goes
// through [Neutralise], which puts an apostrophe in front of such a value so it
// is shown as text. [Restore] undoes it, so an importer reading an export gets
// the original values back: Restore(Neutralise(s)) == s for every s. vCard
// output is not meant for spreadsheets and is written unchanged.
package export
