//go:build ignore

// This program writes excelize.xlsx, a workbook from a real XLSX writer
// (github.com/xuri/excelize), for the tests of package tabular. Run it
// from internal/tabular/testdata with "go run gen_excelize.go".
package main

import (
	"log"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "People"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		log.Fatal(err)
	}
	rows := [][]any{
		{"Name", "Zip", "Phone", "Joined", "Score", "Member", "Formula"},
		{"Ada Lovelace", "02134", 15551234567, time.Date(1985, 3, 7, 0, 0, 0, 0, time.UTC), 0.1, true, nil},
		{"Grace Hopper", "00501", 2025550111, time.Date(2023, 3, 15, 12, 0, 0, 0, time.UTC), 12.5, false, nil},
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			log.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			log.Fatal(err)
		}
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, "D2", "D2", dateStyle); err != nil {
		log.Fatal(err)
	}
	dateTime := "yyyy-mm-dd hh:mm"
	dtStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTime})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, "D3", "D3", dtStyle); err != nil {
		log.Fatal(err)
	}
	// excelize writes the formula without a cached value.
	if err := f.SetCellFormula(sheet, "G2", "C2*2"); err != nil {
		log.Fatal(err)
	}
	if _, err := f.NewSheet("Second"); err != nil {
		log.Fatal(err)
	}
	if err := f.SetCellValue("Second", "A1", "Other"); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs("excelize.xlsx"); err != nil {
		log.Fatal(err)
	}
}
