import './cross-origin-isolation';
import './components/tl-app';
