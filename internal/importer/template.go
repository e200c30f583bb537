package importer

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/export"
)

// descriptionRow is the CSV template's second row, one "About …" sentence
// per field; an import skips it.
func descriptionRow() []string {
	row := make([]string, len(Fields))
	for i, f := range Fields {
		d := f.Description
		if d == "" {
			d = f.Label
		}
		if f.Sensitive {
			d += " (needs Sensitive Data Access to export)"
		}
		row[i] = "About " + f.Label + ": " + d
	}
	return row
}

func exampleRow() []string {
	row := make([]string, len(Fields))
	for i, f := range Fields {
		row[i] = f.Example
	}
	return row
}

func headerRow() []string {
	row := make([]string, len(Fields))
	for i, f := range Fields {
		row[i] = f.Key
	}
	return row
}

// descriptions are the cells of the description row.
var descriptions = func() map[string]bool {
	m := map[string]bool{}
	for _, d := range descriptionRow() {
		m[d] = true
	}
	return m
}()

// isDescriptionRow reports whether a row is the template's description row
// (every filled cell starts as a description does).
func isDescriptionRow(fields []string) bool {
	n := 0
	for _, v := range fields {
		if v == "" {
			continue
		}
		if !strings.HasPrefix(v, "About ") || !descriptions[v] {
			return false
		}
		n++
	}
	return n > 0
}

// Template writes the import template: every importable field as a column,
// then (CSV) a description row and an example row, or (XLSX) the example
// row with the descriptions on a second sheet.
func Template(w io.Writer, format string) error {
	switch format {
	case FormatCSV:
		t := export.NewCSV(w, export.CSVOptions{})
		if err := t.Header(headerRow()); err != nil {
			return err
		}
		if err := t.Row(descriptionRow()); err != nil {
			return err
		}
		if err := t.Row(exampleRow()); err != nil {
			return err
		}
		return t.Close()
	case FormatXLSX:
		return templateXLSX(w)
	}
	return errs.FieldErrors(map[string]string{"format": "choose csv or xlsx"})
}

func fieldRows() [][]string {
	var rows [][]string
	for _, f := range Fields {
		s := ""
		if f.Sensitive {
			s = "yes: stored encrypted"
		}
		rows = append(rows, []string{f.Key, f.Label, f.Description, f.Example, s})
	}
	return rows
}

// templateXLSX writes the template workbook: the Contacts sheet with the
// header (bold, frozen) and the example row, all cells text, and a Fields
// sheet describing each column.
func templateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Contacts"); err != nil {
		return err
	}
	if _, err := f.NewSheet("Fields"); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": typed values stay text
	if err != nil {
		return err
	}
	write := func(sheet string, rows [][]string) error {
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(sheet, cell, v); err != nil {
					return err
				}
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
		if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
			return err
		}
		lastCol, _ := excelize.ColumnNumberToName(len(rows[0]))
		if err := f.SetColWidth(sheet, "A", lastCol, 18); err != nil {
			return err
		}
		return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	if err := write("Contacts", [][]string{headerRow(), exampleRow()}); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(Fields))
	if err := f.SetColStyle("Contacts", "A:"+lastCol, text); err != nil {
		return err
	}
	if err := write("Fields", append([][]string{{"Column", "Field", "What to write", "Example", "Sensitive"}}, fieldRows()...)); err != nil {
		return err
	}
	return f.Write(w)
}
