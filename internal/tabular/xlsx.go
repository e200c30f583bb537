package tabular

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// limits are internal bounds on memory and unpacked sizes. Open uses
// defaultLimits; tests lower them.
type limits struct {
	// rewind is the most bytes of one CSV record kept in memory so that,
	// when a stray quote breaks the record, reading can go back to the
	// line after the record's start instead of losing everything the
	// stray quote swallowed.
	rewind int

	sheet     int64 // bytes of the worksheet read
	strings   int64 // bytes of the shared strings and of the styles
	part      int64 // bytes of any other part read
	ratio     int64 // highest compression ratio accepted for a large part
	ratioFrom int64 // size from which a part counts as large
}

// defaultLimits returns the limits Open applies.
func defaultLimits() limits {
	return limits{
		rewind:    16 << 20,
		sheet:     2 << 30,
		strings:   512 << 20,
		part:      64 << 20,
		ratio:     200,
		ratioFrom: 16 << 20,
	}
}

// Messages of the XLSX reader.
const (
	msgDamaged  = "The workbook is damaged, so it cannot be read; open it in Excel, save it again and upload that."
	msgDoctype  = "The workbook contains an XML document type declaration (entity definitions), which Excel never writes; it was not read."
	msgMacros   = "Macro-enabled workbooks (.xlsm) are not accepted; save it as .xlsx (Excel Workbook) and upload that."
	msgNotBook  = "This file is a ZIP archive but not an Excel workbook (it has no xl/workbook.xml); save the spreadsheet from Excel as .xlsx and upload that."
	msgLiar     = "The workbook expands to more than it declares when unpacked, which looks like a zip bomb; it was not read."
	msgCompress = "The workbook uses a compression method Folio cannot read; open it in Excel, save it again and upload that."
)

// bombError is the message for a part that would unpack to more than
// limit bytes.
func bombError(limit int64) *Error {
	return &Error{Msg: "The workbook expands to more than " + formatSize(limit) + " when unpacked, which looks like a zip bomb; it was not read."}
}

// Relationship types, matched by suffix so that both the transitional
// (schemas.openxmlformats.org) and strict (purl.oclc.org) forms work.
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
	relStyles         = "/styles"
)

// workbook is an open XLSX file.
type workbook struct {
	ra       io.ReaderAt
	files    map[string]*zip.File // by lower-case part name
	lim      limits
	maxCell  int
	date1904 bool
	sheets   []sheetRef
	styles   []byte // format class of each cell style (cellXfs index)
	sst      sharedStrings
	part     string // the workbook part, such as xl/workbook.xml
	rels     map[string]rel
}

// sheetRef is a worksheet listed in the workbook.
type sheetRef struct {
	name   string
	part   string // resolved part name, "" if the relationship is missing
	hidden bool
}

// rel is a relationship.
type rel struct {
	typ, target string // target resolved to a part name
}

// openZIP opens f as a ZIP archive and indexes its entries.
func openZIP(f *os.File, size int64, lim limits) (*workbook, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, &Error{Msg: "This file looks like an Excel workbook or ZIP archive but it is damaged, so it cannot be read; open it in Excel, save it again and upload that.", Err: err}
	}
	wb := &workbook{ra: f, files: make(map[string]*zip.File, len(zr.File)), lim: lim}
	for _, zf := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(zf.Name, `\`, "/"), "/"))
		if _, dup := wb.files[name]; !dup {
			wb.files[name] = zf
		}
	}
	return wb, nil
}

// openXLSX opens an XLSX workbook and reads the header of the chosen
// sheet.
func openXLSX(f *os.File, size int64, ext string, opts Options, lim limits) (Source, error) {
	wb, err := openZIP(f, size, lim)
	if err != nil {
		return nil, err
	}
	wb.maxCell = opts.MaxCell
	if ext == ".xlsm" || ext == ".xltm" || wb.has("xl/vbaproject.bin") {
		return nil, &Error{Msg: msgMacros}
	}
	if ct, ok := wb.files["[content_types].xml"]; ok {
		macro, err := wb.macroContentType(ct)
		if err != nil {
			return nil, err
		}
		if macro {
			return nil, &Error{Msg: msgMacros}
		}
	}
	if err := wb.findWorkbook(); err != nil {
		if k := wb.otherKind(); k != nil {
			return nil, k.error()
		}
		if errors.Is(err, errNoWorkbook) {
			if ext == ".xlsx" || ext == ".xltx" || opts.Format == FormatXLSX {
				return nil, &Error{Msg: msgNotBook}
			}
			return nil, zipKind().error()
		}
		return nil, err
	}
	if err := wb.readWorkbook(); err != nil {
		return nil, err
	}
	sheet, err := wb.chooseSheet(opts.Sheet)
	if err != nil {
		return nil, err
	}
	sheetFile, ok := wb.files[sheet.part]
	if !ok {
		return nil, &Error{Msg: "The workbook is damaged: its sheet " + strconv.Quote(sheet.name) + " is missing. Open it in Excel, save it again and upload that."}
	}
	// Check every size before reading anything large.
	if err := wb.checkSize(sheetFile, lim.sheet); err != nil {
		return nil, err
	}
	stylesPart, _ := wb.relTarget(relStyles, "xl/styles.xml")
	sstPart, _ := wb.relTarget(relSharedStrings, "xl/sharedstrings.xml")
	for _, p := range []string{stylesPart, sstPart} {
		if zf, ok := wb.files[p]; ok {
			if err := wb.checkSize(zf, lim.strings); err != nil {
				return nil, err
			}
		}
	}
	if zf, ok := wb.files[stylesPart]; ok {
		if err := wb.readStyles(zf); err != nil {
			return nil, err
		}
	}
	if zf, ok := wb.files[sstPart]; ok {
		if err := wb.readSharedStrings(zf); err != nil {
			return nil, err
		}
	}
	return newXLSXSource(f, wb, sheet, sheetFile, opts)
}

// has reports whether the archive holds the part (lower-case name).
func (wb *workbook) has(name string) bool {
	_, ok := wb.files[name]
	return ok
}

// otherKind recognises ZIP-based files that are not workbooks.
func (wb *workbook) otherKind() *fileKind {
	save := "save it as .xlsx or CSV and upload that"
	switch {
	case wb.has("xl/workbook.bin"):
		return &fileKind{what: "an Excel binary workbook (.xlsb)", advice: save}
	case wb.has("word/document.xml"):
		return &fileKind{what: "a Word document (.docx)"}
	case wb.has("ppt/presentation.xml"):
		return &fileKind{what: "a PowerPoint presentation (.pptx)"}
	case wb.has("index/document.iwa"):
		return &fileKind{what: "an Apple Numbers spreadsheet", advice: "export it from Numbers as .xlsx or CSV and upload that"}
	}
	if zf, ok := wb.files["mimetype"]; ok && zf.UncompressedSize64 < 256 {
		if r, err := wb.openPart(zf, 256); err == nil {
			b, _ := io.ReadAll(r)
			switch {
			case bytes.Contains(b, []byte("opendocument.spreadsheet")):
				return &fileKind{what: "an OpenDocument spreadsheet (.ods)", advice: save}
			case bytes.Contains(b, []byte("opendocument.text")):
				return &fileKind{what: "an OpenDocument text document (.odt)"}
			}
		}
	}
	return nil
}

// zipNotText is the error for a ZIP archive uploaded as a text format.
func zipNotText(f *os.File, size int64, format string) *Error {
	what := "a CSV"
	if format == FormatVCard {
		what = "a vCard"
	}
	wb, err := openZIP(f, size, defaultLimits())
	if err != nil {
		return zipKind().error()
	}
	if wb.has("xl/workbook.xml") {
		return &Error{Msg: "This file is an Excel workbook (.xlsx), not " + what + " file; choose XLSX as the format, or let Folio detect it."}
	}
	if k := wb.otherKind(); k != nil {
		return k.error()
	}
	return zipKind().error()
}

// checkSize refuses a part whose declared size is over limit, or that is
// large and compressed suspiciously well.
func (wb *workbook) checkSize(zf *zip.File, limit int64) error {
	size := zf.UncompressedSize64
	if size > uint64(limit) {
		return bombError(limit)
	}
	if size > uint64(wb.lim.ratioFrom) && size/max(zf.CompressedSize64, 1) > uint64(wb.lim.ratio) {
		return &Error{Msg: "The workbook expands to more than " + formatInt(wb.lim.ratio) + " times its size when unpacked, which looks like a zip bomb; it was not read."}
	}
	return nil
}

// openPart opens a part for reading after checking its size against
// limit. The reader refuses to produce more bytes than the part declares.
func (wb *workbook) openPart(zf *zip.File, limit int64) (*partReader, error) {
	if err := wb.checkSize(zf, limit); err != nil {
		return nil, err
	}
	raw, err := zf.OpenRaw()
	if err != nil {
		return nil, &Error{Msg: msgDamaged, Err: err}
	}
	var r io.Reader
	switch zf.Method {
	case zip.Store:
		r = raw
	case zip.Deflate:
		r = flate.NewReader(raw)
	default:
		return nil, &Error{Msg: msgCompress}
	}
	return &partReader{r: r, size: int64(zf.UncompressedSize64), crc: crc32.NewIEEE(), want: zf.CRC32}, nil
}

// partReader reads an unpacked part, enforcing its declared size — the
// actual bytes, since headers can lie — and checking its CRC-32.
type partReader struct {
	r    io.Reader
	size int64 // declared size
	n    atomic.Int64
	crc  hash.Hash32
	want uint32
	err  error
}

// Read reads unpacked bytes of the part.
func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	total := p.n.Add(int64(n))
	if total > p.size {
		p.err = &Error{Msg: msgLiar}
		return 0, p.err
	}
	p.crc.Write(b[:n])
	switch {
	case err == io.EOF:
		if total != p.size || p.want != 0 && p.crc.Sum32() != p.want {
			p.err = &Error{Msg: msgDamaged, Err: errors.New("size or checksum mismatch")}
			return n, p.err
		}
		p.err = io.EOF
	case err != nil:
		p.err = &Error{Msg: msgDamaged, Err: err}
		return n, p.err
	}
	return n, err
}

// partError turns a scanning error into a user-facing one.
func partError(err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, errDoctype):
		return &Error{Msg: msgDoctype}
	case errors.Is(err, errMalformed), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.ErrNoProgress):
		return &Error{Msg: msgDamaged, Err: err}
	}
	return fmt.Errorf("tabular: read workbook: %w", err)
}

// scan runs visit on every start tag of a small part. Character data goes
// to text when text is not nil.
func (wb *workbook) scan(zf *zip.File, limit int64, maxText int, visit func(sc *xmlScanner) error) error {
	r, err := wb.openPart(zf, limit)
	if err != nil {
		return err
	}
	sc := newXMLScanner(r, maxText)
	for {
		kind, err := sc.next()
		if err != nil {
			return partError(err)
		}
		if kind == tokEOF {
			return nil
		}
		if kind == tokStart {
			if err := visit(sc); err != nil {
				return err
			}
		}
	}
}

// macroContentType reports whether [Content_Types].xml declares
// macro-enabled content.
func (wb *workbook) macroContentType(zf *zip.File) (bool, error) {
	macro := false
	err := wb.scan(zf, wb.lim.part, 0, func(sc *xmlScanner) error {
		if ct, ok := sc.attr("ContentType"); ok && bytes.Contains(bytes.ToLower(ct), []byte("macroenabled")) {
			macro = true
		}
		return nil
	})
	return macro, err
}

// errNoWorkbook means the archive has no workbook part.
var errNoWorkbook = errors.New("tabular: no workbook part")

// findWorkbook finds the workbook part through the package relationships,
// falling back to xl/workbook.xml.
func (wb *workbook) findWorkbook() error {
	if zf, ok := wb.files["_rels/.rels"]; ok {
		rels, err := wb.readRels(zf, "")
		if err != nil {
			return err
		}
		for _, r := range rels {
			if strings.HasSuffix(r.typ, relOfficeDocument) && wb.has(r.target) {
				wb.part = r.target
				return nil
			}
		}
	}
	if wb.has("xl/workbook.xml") {
		wb.part = "xl/workbook.xml"
		return nil
	}
	return errNoWorkbook
}

// readRels reads a relationships part; targets are resolved against dir.
func (wb *workbook) readRels(zf *zip.File, dir string) (map[string]rel, error) {
	rels := make(map[string]rel)
	err := wb.scan(zf, wb.lim.part, 0, func(sc *xmlScanner) error {
		if string(sc.name) != "Relationship" {
			return nil
		}
		if mode, _ := sc.attr("TargetMode"); strings.EqualFold(string(mode), "External") {
			return nil
		}
		id, _ := sc.attr("Id")
		idStr := string(id)
		typ, _ := sc.attr("Type")
		typStr := string(typ)
		target, _ := sc.attr("Target")
		rels[idStr] = rel{typ: typStr, target: resolvePart(dir, string(target))}
		return nil
	})
	return rels, err
}

// resolvePart resolves a relationship target against the directory of
// the part that holds it, giving a lower-case part name.
func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	var p string
	if strings.HasPrefix(target, "/") {
		p = path.Clean(target)
	} else {
		p = path.Join("/", dir, target)
	}
	return strings.ToLower(strings.TrimPrefix(p, "/"))
}

// readWorkbook reads the workbook part and its relationships.
func (wb *workbook) readWorkbook() error {
	dir := path.Dir(wb.part)
	if dir == "." {
		dir = ""
	}
	relsName := path.Join(dir, "_rels", path.Base(wb.part)+".rels")
	wb.rels = map[string]rel{}
	if zf, ok := wb.files[relsName]; ok {
		rels, err := wb.readRels(zf, dir)
		if err != nil {
			return err
		}
		wb.rels = rels
	}
	type sheet struct {
		name, id string
		hidden   bool
	}
	var sheets []sheet
	err := wb.scan(wb.files[wb.part], wb.lim.part, 0, func(sc *xmlScanner) error {
		switch string(sc.name) {
		case "workbookPr":
			if v, ok := sc.attr("date1904"); ok && (string(v) == "1" || strings.EqualFold(string(v), "true")) {
				wb.date1904 = true
			}
		case "sheet":
			name, _ := sc.attr("name")
			nameStr := string(name)
			state, _ := sc.attr("state")
			id, _ := sc.prefixedAttr("id")
			sheets = append(sheets, sheet{name: nameStr, id: id, hidden: len(state) > 0 && string(state) != "visible"})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range sheets {
		r, ok := wb.rels[s.id]
		if ok && !strings.HasSuffix(r.typ, relWorksheet) {
			continue // a chart sheet or dialog sheet: no cells to read
		}
		wb.sheets = append(wb.sheets, sheetRef{name: s.name, part: r.target, hidden: s.hidden})
	}
	return nil
}

// relTarget returns the target of the workbook's first relationship of the
// given type, or fallback when there is none.
func (wb *workbook) relTarget(typ, fallback string) (string, bool) {
	for _, r := range wb.rels {
		if strings.HasSuffix(r.typ, typ) {
			return r.target, true
		}
	}
	return fallback, false
}

// sheetNames lists the worksheet names.
func (wb *workbook) sheetNames() []string {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = s.name
	}
	return names
}

// chooseSheet returns the sheet called name, or the first visible one
// when name is "".
func (wb *workbook) chooseSheet(name string) (sheetRef, error) {
	if len(wb.sheets) == 0 {
		return sheetRef{}, &Error{Msg: "The workbook has no worksheets, so there is nothing to read."}
	}
	if name == "" {
		for _, s := range wb.sheets {
			if !s.hidden {
				return s, nil
			}
		}
		return wb.sheets[0], nil
	}
	for _, s := range wb.sheets {
		if s.name == name {
			return s, nil
		}
	}
	for _, s := range wb.sheets {
		if strings.EqualFold(strings.TrimSpace(s.name), strings.TrimSpace(name)) {
			return s, nil
		}
	}
	what := "its only sheet is "
	if len(wb.sheets) > 1 {
		what = "its sheets are "
	}
	return sheetRef{}, &Error{Msg: "The workbook has no sheet named " + strconv.Quote(name) + "; " + what + quoteList(wb.sheetNames()) + "."}
}

// Format classes of a cell style.
const (
	classNumber byte = iota
	classDate        // a date, with or without a time
	classTime        // a time of day or duration only
)

// readStyles finds which cell styles show dates or times.
func (wb *workbook) readStyles(zf *zip.File) error {
	custom := map[int]string{}
	var xfs []int
	inNumFmts, inCellXfs := false, false // differential formats (dxfs) have numFmts too
	r, err := wb.openPart(zf, wb.lim.strings)
	if err != nil {
		return err
	}
	sc := newXMLScanner(r, 0)
	for {
		kind, err := sc.next()
		if err != nil {
			return partError(err)
		}
		if kind == tokEOF {
			break
		}
		switch {
		case kind == tokStart && string(sc.name) == "numFmts":
			inNumFmts = !sc.empty
		case kind == tokEnd && string(sc.name) == "numFmts":
			inNumFmts = false
		case kind == tokStart && inNumFmts && string(sc.name) == "numFmt":
			idb, _ := sc.attr("numFmtId")
			id, err := strconv.Atoi(string(idb))
			if err != nil {
				continue
			}
			code, _ := sc.attr("formatCode")
			custom[id] = string(code)
		case kind == tokStart && string(sc.name) == "cellXfs":
			inCellXfs = !sc.empty
		case kind == tokEnd && string(sc.name) == "cellXfs":
			inCellXfs = false
		case kind == tokStart && inCellXfs && string(sc.name) == "xf":
			idb, _ := sc.attr("numFmtId")
			id, _ := strconv.Atoi(string(idb))
			xfs = append(xfs, id)
		}
	}
	wb.styles = make([]byte, len(xfs))
	for i, id := range xfs {
		if code, ok := custom[id]; ok {
			wb.styles[i] = codeClass(code)
		} else {
			wb.styles[i] = builtinClass(id)
		}
	}
	return nil
}

// sharedStrings holds a workbook's shared strings in one byte slice, since
// a large sheet can hold millions of them.
type sharedStrings struct {
	data []byte
	offs []uint32      // string i is data[offs[i]:offs[i+1]]
	long map[int32]int // characters of the strings cut short in data
}

// len returns the number of strings.
func (s *sharedStrings) len() int { return max(len(s.offs)-1, 0) }

// get returns string i and, when it was too long to keep whole, its length
// in characters.
func (s *sharedStrings) get(i int) ([]byte, int) {
	return s.data[s.offs[i]:s.offs[i+1]], s.long[int32(i)]
}

// readSharedStrings reads the shared strings: each <si> holds a <t>, or
// rich-text runs <r><t> that are concatenated; phonetic runs (<rPh>) are
// left out.
func (wb *workbook) readSharedStrings(zf *zip.File) error {
	r, err := wb.openPart(zf, wb.lim.strings)
	if err != nil {
		return err
	}
	maxBytes := 4*wb.maxCell + 4
	sc := newXMLScanner(r, maxBytes)
	sst := &wb.sst
	sst.offs = []uint32{0}
	var inSI, inT bool
	phonetic := 0
	extra := 0 // characters of the current string dropped
	start := 0
	for {
		kind, err := sc.next()
		if err != nil {
			return partError(err)
		}
		switch kind {
		case tokEOF:
			return nil
		case tokStart:
			switch string(sc.name) {
			case "sst":
				if n, err := strconv.Atoi(string(first(sc.attr("uniqueCount")))); err == nil && n > 0 {
					n = min(n, int(zf.UncompressedSize64/8)+1, 1<<24)
					sst.offs = make([]uint32, 1, n+1)
				}
			case "si":
				inSI, extra, start = !sc.empty, 0, len(sst.data)
				if sc.empty {
					sst.offs = append(sst.offs, uint32(len(sst.data)))
				}
			case "t":
				inT = inSI && phonetic == 0 && !sc.empty
			case "rPh":
				if !sc.empty {
					phonetic++
				}
			}
		case tokEnd:
			switch string(sc.name) {
			case "si":
				if inSI {
					sst.data = sst.data[:start+len(decodeXString(sst.data[start:]))]
					if extra > 0 {
						if sst.long == nil {
							sst.long = map[int32]int{}
						}
						sst.long[int32(sst.len())] = utf8.RuneCount(sst.data[start:]) + extra
					}
					sst.offs = append(sst.offs, uint32(len(sst.data)))
				}
				inSI, inT = false, false
			case "t":
				inT = false
			case "rPh":
				phonetic = max(phonetic-1, 0)
			}
		case tokText:
			if inT {
				kept := len(sst.data) - start
				b := sc.text
				if room := maxBytes - kept; len(b) > room {
					room = max(room, 0)
					extra += utf8.RuneCount(b[room:])
					b = b[:room]
				}
				extra += sc.extra
				sst.data = append(sst.data, b...)
			}
		}
	}
}

// first returns the first of two results.
func first[T any](v T, _ bool) T { return v }
