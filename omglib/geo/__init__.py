"""Maps of the 98 kommuner: boundaries, the tile map, and choropleth drawing."""
