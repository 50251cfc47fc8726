from hegui.cli.main import run

run()
