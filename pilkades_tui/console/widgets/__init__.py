"""One widget per part of the screen: header, key bar, the panes, the map."""
