from pilkades_tui.cli import main

raise SystemExit(main())
