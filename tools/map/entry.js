// What templates/static/map.js uses of the map's npm packages, bundled into templates/static/vendor/map-lib.js:
// the projection (for the listings' points; the states' outlines come already drawn) and the clustering.
export { geoAlbersUsaTerritories } from "d3-composite-projections";
export { default as Supercluster } from "supercluster";
