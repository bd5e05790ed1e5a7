from bluehelmet.cli import main

main()
