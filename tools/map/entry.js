// What templates/static/map.js uses of the map's npm packages, bundled into templates/static/vendor/map-lib.js.
export { geoPath } from "d3-geo";
export { geoAlbersUsaTerritories } from "d3-composite-projections";
export { feature, mesh } from "topojson-client";
export { default as Supercluster } from "supercluster";
